"""The Flask extensions, created once here and bound to each app in create_app."""
from flask_login import LoginManager
from flask_wtf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "organisation.login"
login_manager.login_message = "Vui lòng đăng nhập."

csrf = CSRFProtect()


def init_app(app) -> None:
    """Bind every extension to `app`."""
    login_manager.init_app(app)
    csrf.init_app(app)
