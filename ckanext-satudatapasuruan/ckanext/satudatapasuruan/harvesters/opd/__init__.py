"""The OPD application harvester: REST/JSON, CSV and XLSX endpoints of the regency's own systems."""
