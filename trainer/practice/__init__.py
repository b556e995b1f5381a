"""Speaking practice: the single-phrase practice pages, the reusable spoken/typed turn
endpoints (api.py) and recording replay. Rules live in service.py and trainer/turns/."""
