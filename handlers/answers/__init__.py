"""Answers to free questions: the FAQ and lesson search, the LLM path, unanswered questions and approved answers."""
