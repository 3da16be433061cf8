"""What every JSON endpoint shares: who is calling (``auth``), errors, request bodies,
pages of lists, and the OpenAPI document put together from the features' parts.

The endpoints themselves live with their features (``app/<feature>/api.py`` and the like);
they are all served under /api/v1 by one blueprint named ``api``.
"""
