"""Attempts: recording answers with their scores, finishing attempts, reviews.

Shared by every kind of training (single phrases, role-plays, quizzes, drills); the views of
each area call these functions, never write attempt rows themselves.
"""
