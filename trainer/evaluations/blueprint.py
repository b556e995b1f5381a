"""The `evaluations` blueprint; its routes are declared in the view
modules named in VIEW_MODULES, which the factory imports (register_blueprints).

The package's __init__ stays empty so that the rule modules of the area import without Flask.
"""

from flask import Blueprint

bp = Blueprint("evaluations", __name__)

# The modules whose @bp.route decorators fill bp. They import bp from here, and this module
# imports none of them, so any one of them imports on its own without a cycle.
VIEW_MODULES = ("views", "views_list", "views_office", "views_records")
