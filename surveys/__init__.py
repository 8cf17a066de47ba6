"""Satisfaction surveys after finished work and the follow-ups a low score opens (IM2, P1, P4)."""
