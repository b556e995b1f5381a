"""Assessment windows (考核安排): station heads set them for their station, HR for one station or
all. Rules in service.py (callable without a request); views.py is thin."""
