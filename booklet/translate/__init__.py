"""Translation workflow: status, review, new languages, exchange with CAT tools.
"""
