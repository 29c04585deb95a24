"""The main window's pages: Today, Contacts, contact page, Insights, Import, search results."""
