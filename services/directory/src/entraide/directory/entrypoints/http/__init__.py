"""Directory over HTTP: offers (`offers/`: search API and pages, staff editing), volunteers
(`volunteers/`: the application, the review), the association's space (`association`)."""
