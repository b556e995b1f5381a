"""Certificates (上岗资格证书): PDF documents, Open Badges credentials and bulk exports.

The pure part imports nothing from Flask or the database; import it from the submodules:

    from trainer.certificates.document import CertificateDocument
    from trainer.certificates.numbering import format_number, parse_number
    from trainer.certificates.render import render_pdf, write_pdf
    from trainer.certificates.badges import badge_json
    from trainer.certificates.bundle import write_zip, write_merged_pdf

The database part: service.py (issue, suspend, lift, revoke, re-issue, renew; queries),
exports.py (bulk exports from the database, background jobs), issuers.py (the signed badges'
issuers, keys and status lists; signing.py signs). The web part: the blueprint
`certificates` in blueprint.py (views.py, forms.py): the public verify pages, downloads, HR's list,
exports and renewal list, and the status pages of one certificate; issuer_views.py: the
public issuer profiles and status lists.
"""
