"""Pure rules of the product: no I/O, nothing imported beyond the standard library and errors."""
