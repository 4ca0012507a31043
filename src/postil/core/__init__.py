"""Pure domain: schemas, geometry, result values, formats. No I/O."""
