"""The badge issuers' public documents: what a verifier fetches to check a badge (no login)."""

from __future__ import annotations

from flask import abort, current_app, jsonify

from trainer.auth.access import public
from trainer.certificates import issuers
from trainer.certificates.blueprint import bp
from trainer.certificates.views import public_base_url
from trainer.extensions import db, limiter


def _issuer_or_404(issuer_id: str):
    issuer = issuers.find_issuer(issuer_id)
    if issuer is None:
        abort(404)
    return issuer


def _json_ld(document: dict, *, max_age: int):
    response = jsonify(document)
    response.mimetype = "application/ld+json"
    response.headers["Cache-Control"] = f"public, max-age={max_age}" if max_age else "no-store"
    response.headers["Access-Control-Allow-Origin"] = "*"  # web wallets verify from elsewhere
    return response


@bp.route("/issuers/<issuer_id>")
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
@public
def issuer_profile(issuer_id: str):
    return _json_ld(issuers.profile(_issuer_or_404(issuer_id), public_base_url()), max_age=3600)


@bp.route("/issuers/<issuer_id>/status/<purpose>")
@limiter.limit(lambda: current_app.config["VERIFY_RATE_LIMIT"])
@public
def status_list(issuer_id: str, purpose: str):
    issuer = _issuer_or_404(issuer_id)
    if purpose not in issuers.PURPOSES:
        abort(404)
    document = issuers.status_list(issuer, purpose, public_base_url(),
                                   current_app.config["SECRET_KEY"])
    db.session.commit()  # a first key, if this site had none it could open
    # A revocation must reach verifiers at once: nothing may keep an old list.
    return _json_ld(document, max_age=0)
