"""Batches of leaflets on a Dask cluster, with a shared content-addressed store.

``lmets-docs build --scheduler dask`` (a cluster of worker processes on this machine) or
``--scheduler tcp://host:8786`` (a running cluster) builds as the local build does (load and
validate everything, plan, make, check, install each language folder all at once), but each
format of each leaflet language is a task on the cluster, and what the tasks make goes
through the store (``--store``; by default the output's ``.cache`` folder), where any later
build, on any machine, finds it instead of making it again.
"""
