"""Places on a map (issue 20): a topic's map area and named places, the point a resident
may attach to a comment, the map on the topic and staff pages, the map image of the
results and report, and the GeoJSON export. Coordinates are WGS 84 degrees throughout."""
