"""Reports of money or favours asked for work, seen only by auditors, and their audit cases (CR2)."""
