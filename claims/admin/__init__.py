"""The Django admin for editors: articles, claims (with history), sources, evidence, reviews.

One module per subject: `claims` (edit, split, merge, assign, export through services),
`articles`, `sources`, `reviews`; `site` is the admin site itself (editors and superusers only),
installed as the default site through `claims.apps.EditorsAdminConfig` in INSTALLED_APPS.
ClaimsConfig.ready() imports the subject modules, which register their models: importing
them here would register them while Django is still building `admin.site` from `site.py`.

Only active staff in the editors group (and superusers) reach it; reviews are read-only
here because verdicts are recorded, append-only, through the reviewer UI. Periodic re-check
schedules are django-celery-beat's own admin pages.
"""
