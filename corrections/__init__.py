"""Finished work reopened by staff as a correction, and the customer told the result (CR1)."""
