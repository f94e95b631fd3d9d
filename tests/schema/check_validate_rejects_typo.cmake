# Acceptance (issue 9): `kmsdiag rules validate` rejects a rule with a misspelled field, as file:line, exit 78.
# The shipped rules plus one otherwise valid rule whose `where` misspells `hresult`.
set(dir ${WORK}/rules-typo)
file(REMOVE_RECURSE ${dir})
file(COPY ${RULES}/ DESTINATION ${dir})
file(WRITE ${dir}/typo-field.yaml
     "id: typo-field\ncause: time-skew\nseverity: error\ntitle: T\nmatch:\n  kind: activation.attempt\n"
     "  where:\n    hresutl: 0xC004F06C\nexplain: x\nremediation: [fix]\n"
     "examples:\n  positive: [{kind: activation.attempt, hresult: \"0xC004F06C\"}]\n"
     "  negative: [{kind: activation.attempt, hresult: \"0x00000000\"}]\n")
execute_process(COMMAND ${KMSDIAG} --rules ${dir} rules validate ERROR_VARIABLE err RESULT_VARIABLE rc)
file(REMOVE_RECURSE ${dir})
if(NOT rc EQUAL 78 OR NOT err MATCHES "typo-field.yaml:8: unknown field 'hresutl'")
  message(FATAL_ERROR "rules validate did not reject the misspelled field (exit ${rc}):\n${err}")
endif()
