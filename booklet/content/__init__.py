"""The content model: what a publication is made of, read from its files.

Reading YAML safely with the line of every value (yamlfile), editing it without
touching other bytes (yamledit), the shape of every file (schema, model),
loading a project into one Content (load), inline markup (inline), walking
texts (texts), locales and interface catalogues (locales, catalogues),
translation records (records) and the state of every translated part (states).
Imports nothing from the stages above it.
"""
