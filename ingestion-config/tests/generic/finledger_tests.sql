{# Rows sharing a value of the column combination that is the model's grain. #}
{% test unique_combination(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as copies
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{# balances' arithmetic invariant: net_minor = captured_minor - refunded_minor, exactly. #}
{% test net_is_captured_minus_refunded(model) %}
    select * from {{ model }}
    where net_minor <> captured_minor - refunded_minor
{% endtest %}
