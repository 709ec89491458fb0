"""Views shared by several pages: each a layout builder with the callbacks that serve it."""
