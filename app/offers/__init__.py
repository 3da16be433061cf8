"""Offers and hires: the forms, request bodies and JSON shapes of the offer pages
(:mod:`app.hiring.offer_pages`) and API (:mod:`app.hiring.offer_api`)."""
