"""Charts: the figure model (model.py), pure builders per subject (frame in, model out) and the
one plotly renderer (plotly.py)."""
