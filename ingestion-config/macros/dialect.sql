{# A field of a landed JSON record as text (null when absent): jsonb locally, VARIANT on Snowflake. #}
{% macro json_text(column, field) -%}
    {{ return(adapter.dispatch('json_text', 'finledger')(column, field)) }}
{%- endmacro %}

{% macro default__json_text(column, field) -%}
    {{ column }}->>'{{ field }}'
{%- endmacro %}

{% macro snowflake__json_text(column, field) -%}
    {{ column }}:"{{ field }}"::varchar
{%- endmacro %}

{# A timestamp with time zone from text. #}
{% macro to_timestamptz(expression) -%}
    {{ return(adapter.dispatch('to_timestamptz', 'finledger')(expression)) }}
{%- endmacro %}

{% macro default__to_timestamptz(expression) -%}
    cast({{ expression }} as timestamptz)
{%- endmacro %}

{% macro snowflake__to_timestamptz(expression) -%}
    cast({{ expression }} as timestamp_tz)
{%- endmacro %}

{# The latest version of each key of a landed relation: the row ranked first by order_by. #}
{% macro latest_per_key(relation, key, order_by) -%}
    select * from (
        select landed.*, row_number() over (partition by {{ key }} order by {{ order_by }}) as finledger_recency
        from {{ relation }} as landed
    ) ranked
    where finledger_recency = 1
{%- endmacro %}
