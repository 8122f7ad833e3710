{# Layers are schemas named as they are (staging, curated), not dbt's <target schema>_<custom schema>. #}
{# A month-end rerun builds into scratch schemas: var schema_prefix (rerun_7_) gives rerun_7_staging. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ var('schema_prefix', '') ~ (custom_schema_name if custom_schema_name is not none else target.schema) }}
{%- endmacro %}

{# A staging model stg_<dataset> builds the table named after its dataset (staging.payments). #}
{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
    {%- if custom_alias_name -%}
        {{ custom_alias_name | trim }}
    {%- elif node.name.startswith('stg_') -%}
        {{ node.name[4:] }}
    {%- else -%}
        {{ node.name }}
    {%- endif -%}
{%- endmacro %}
