"""The build's steps that touch many files: cached, parallel loading and rendering."""
