"""Campaigns and the Week: the lifelong-learning Week, campaign reminders, schedules and learning nudges."""
