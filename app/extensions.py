"""Unbound web extension singletons, bound to an app in ``create_app``.

The database handle is not here: it lives in :mod:`app.db`, so models need nothing of the web.
"""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
