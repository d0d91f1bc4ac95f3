"""The parts of the upload page and the import history page."""
