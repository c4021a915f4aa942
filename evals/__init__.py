"""Gold sets, metrics, baselines and the runner behind ``kringwijs eval``."""
