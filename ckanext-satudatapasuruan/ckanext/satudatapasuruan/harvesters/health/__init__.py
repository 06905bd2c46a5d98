"""Schedules and sync health of harvest sources (plugin ``satudata_harvest``): nightly runs aligned to the
portal's clock, run statistics and errors per source, an e-mail after repeated failures, and the KPI
"priority datasets updated by automated sync"."""
