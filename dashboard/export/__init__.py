"""Exports for meetings: chart images, the meeting pack (PowerPoint, PDF) and Excel tables."""
