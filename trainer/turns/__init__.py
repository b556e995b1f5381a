"""The spoken or typed turn, shared by practice, role-play, daily practice, the head's spoken
check and assessments:

- ``rules``: what a turn is and how it is answered, stored, scored and shown (no HTTP);
- ``recognition``: recognising a stored recording off the request thread (the process's pool,
  or an RQ worker through trainer/jobs.py), and scoring its turn;
- ``timing``: how long an answer takes to recognise here (the pages' estimate);
- ``http``: the JSON helpers every turn endpoint uses (uploads, typed text, the turn's body).

Dependencies point one way: http -> recognition -> rules -> timing; the routes live in the
areas' blueprints (practice/api.py, training, station).
"""
