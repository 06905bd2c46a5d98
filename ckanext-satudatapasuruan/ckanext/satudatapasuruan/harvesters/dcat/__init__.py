"""``satudata_dcat``: imports external DCAT catalogues (the provincial or national portal) into the SDI schema."""
