"""Administrative units, branches and officials' accounts."""
