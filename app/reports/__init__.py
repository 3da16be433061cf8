"""Hiring reports, interviewer calibration and quality of hire: aggregate SQL over the
pipeline's records, drawn as server-side SVG charts, each with its table and CSV."""
