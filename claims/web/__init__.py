"""The reviewer web UI: views, forms, template tags, urls, and the headers every page gets.

Views stay thin: they parse the request (forms), call one selector or service, and render.
The templates live in claims/templates/claims/ (the app's template folder).
"""
