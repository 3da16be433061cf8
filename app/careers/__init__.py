"""Career paths: the ladder as pages every signed-in user can browse."""
