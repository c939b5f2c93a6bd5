def dashboard(r): pass
def export(r, measure, fmt): pass
def funder(r): pass
def run_detail(r, run_id): pass
