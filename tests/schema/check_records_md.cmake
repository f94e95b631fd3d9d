# Fails when rules/records.md differs from `kmsdiag rules schema` (generated from rules/schema.yaml).
execute_process(COMMAND ${KMSDIAG} --rules ${RULES} rules schema OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "kmsdiag rules schema failed (exit ${rc}): rules/schema.yaml does not load")
endif()
file(READ ${RULES}/records.md current)
if(NOT current STREQUAL generated)
  message(FATAL_ERROR "rules/records.md is out of date with rules/schema.yaml; regenerate it with\n"
                      "  build/kmsdiag rules schema > rules/records.md")
endif()
