"""The team lead's dashboard (issue 6): figures, drill-down lists, trends and exports."""
