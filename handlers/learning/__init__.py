"""Learning: modules, lessons, quizzes, progress, streaks and course certificates."""
