"""The Dash user interface: reusable components, clientside assets and element ids."""
