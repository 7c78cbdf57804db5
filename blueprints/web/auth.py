"""Log-in and log-out for officers, operator staff and administrators (session cookie + CSRF)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from blueprints.limits import limit_logins
from blueprints.web.forms import LoginForm
from blueprints.web.i18n import local_target
from blueprints.web.templating import has_endpoint
from supervision.access.services import authenticate
from supervision.access.sessions import end_sessions
from supervision.db_locking import reading
from supervision.extensions import db

bp = Blueprint("auth", __name__)

# Where each role starts its work; home when that page is not installed.
LANDING = {"officer": "officer.complaints", "operator": "portal.queue", "admin": "admin.calendar",
           "oversight": "oversight.personal_data_reads"}


def landing_url(user) -> str:
    endpoint = LANDING.get(user.role)
    return url_for(endpoint) if endpoint and has_endpoint(endpoint) else url_for("public.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "POST":
        limit_logins()
    if not form.is_submitted():
        if current_user.is_authenticated:
            return redirect(landing_url(current_user))
        form.next.data = local_target(request.args.get("next"))
        return render_template("auth/login.html", form=form)
    if not form.validate():
        return render_template("auth/login.html", form=form), 422
    with reading():  # the password's Argon2 never runs while holding the write lock
        user = authenticate(form.username.data.strip(), form.password.data)
    if user is None:
        # One message for an unknown user and a wrong password: no hint which one it was.
        return render_template("auth/login.html", form=form,
                               problem=_("Wrong username or password.")), 401
    login_user(user)
    flash(_("You are logged in as %(name)s.", name=user.label), "success")
    return redirect(local_target(form.next.data) or landing_url(user), code=303)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        end_sessions(current_user)  # a copy of the cookie must not outlive the log-out
        db.session.commit()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.home"), code=303)
