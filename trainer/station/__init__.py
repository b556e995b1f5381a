"""The station head's area: dashboard, practical checks at the pump, the review queue and
certifying staff (the certificate rules live in trainer/certificates/service.py)."""
