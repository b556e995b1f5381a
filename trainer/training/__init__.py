"""The staff journey: home, study cards, quizzes, role-plays, drill, daily practice, history.

Views are thin (views*.py); the rules live in study.py, quiz.py, roleplay.py, drill.py,
daily.py, assessment.py and history.py, callable without a request. Progress toward going on
duty is trainer.progress.
"""
