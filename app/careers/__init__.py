"""Career paths: the ladder as pages every signed-in user can browse (families, the ladder
picture, levels, comparisons, "My path", search), its JSON API, the role descriptions as
PDF, and ``flask ladder``."""
