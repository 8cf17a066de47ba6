"""Suggestions, complaints and commendations; complaints upheld lead to service training (CP1, CC1, CC3, CR3)."""
