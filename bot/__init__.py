"""hocbot: the lifelong-learning chatbot runtime."""
