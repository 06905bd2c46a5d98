"""Geospatial harvester: one ``geospasial`` dataset per layer of a WMS, WFS, OGC API - Features or ArcGIS REST
service (``harvester.py``), and the mapping of ckanext-spatial's CSW harvester onto the same schema (``csw.py``).
"""
