{#
  finledger_merge: the model is a plain select of the table's full desired content. The first build
  creates the table from the model's shape (keyed on unique_key); every build then applies the
  model with one MERGE on the key: changed rows updated, new rows inserted, rows that left the model
  deleted, identical rows untouched. So building twice changes nothing, and the rows a build changed
  are its rows_affected in run_results.json.
#}
{% materialization finledger_merge, default %}
    {%- set unique_key = config.require('unique_key') -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing = adapter.get_relation(database=this.database, schema=this.schema,
                                            identifier=this.identifier) -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- if existing is none -%}
        {% do adapter.create_schema(target_relation) %}
        {{ finledger.finledger_create_empty(target_relation, sql, keys) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(target_relation) | map(attribute='name') | list -%}
    {{ finledger.finledger_apply(target_relation, sql, keys, columns) }}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}

{% macro finledger_create_empty(relation, sql, keys) -%}
    {{ return(adapter.dispatch('finledger_create_empty', 'finledger')(relation, sql, keys)) }}
{%- endmacro %}

{% macro default__finledger_create_empty(relation, sql, keys) -%}
    {% call statement('create_target') -%}
        create table {{ relation }} as select * from ({{ sql }}) as m where false;
        alter table {{ relation }} add primary key ({{ keys | join(', ') }})
    {%- endcall %}
{%- endmacro %}

{# Snowflake does not enforce primary keys: the MERGE on the key is what keeps one row per key. #}
{% macro snowflake__finledger_create_empty(relation, sql, keys) -%}
    {% call statement('create_target') -%}
        create table {{ relation }} as select * from ({{ sql }}) as m where 1 = 0
    {%- endcall %}
{%- endmacro %}

{% macro finledger_apply(relation, sql, keys, columns) -%}
    {{ return(adapter.dispatch('finledger_apply', 'finledger')(relation, sql, keys, columns)) }}
{%- endmacro %}

{% macro finledger_merge_on(keys) -%}
    {%- for key in keys %}{{ ' and ' if not loop.first }}t.{{ key }} = s.{{ key }}{% endfor -%}
{%- endmacro %}

{% macro finledger_merge_changed(keys, columns) -%}
    {%- set upper_keys = keys | map('upper') | list -%}
    {%- set values = columns | reject('in', keys) | list | reject('in', upper_keys) | list -%}
    {%- if values -%}
    when matched and ({% for c in values %}{{ ' or ' if not loop.first }}t.{{ c }} is distinct from s.{{ c }}{% endfor %})
        then update set {% for c in values %}{{ ', ' if not loop.first }}{{ c }} = s.{{ c }}{% endfor %}
    {%- endif -%}
{%- endmacro %}

{# PostgreSQL 17: one MERGE, deletes included (not matched by source). #}
{% macro default__finledger_apply(relation, sql, keys, columns) -%}
    {% call statement('main') -%}
        merge into {{ relation }} as t
        using ({{ sql }}) as s
        on {{ finledger.finledger_merge_on(keys) }}
        {{ finledger.finledger_merge_changed(keys, columns) }}
        when not matched by target then
            insert ({{ columns | join(', ') }}) values ({% for c in columns %}{{ ', ' if not loop.first }}s.{{ c }}{% endfor %})
        when not matched by source then delete
    {%- endcall %}
{%- endmacro %}

{# Snowflake's MERGE has no "not matched by source": rows that left the model are deleted first. #}
{% macro snowflake__finledger_apply(relation, sql, keys, columns) -%}
    {% call statement('vanished') -%}
        delete from {{ relation }} as t
        where not exists (select 1 from ({{ sql }}) as s where {{ finledger.finledger_merge_on(keys) }})
    {%- endcall %}
    {% call statement('main') -%}
        merge into {{ relation }} as t
        using ({{ sql }}) as s
        on {{ finledger.finledger_merge_on(keys) }}
        {{ finledger.finledger_merge_changed(keys, columns) }}
        when not matched then
            insert ({{ columns | join(', ') }}) values ({% for c in columns %}{{ ', ' if not loop.first }}s.{{ c }}{% endfor %})
    {%- endcall %}
{%- endmacro %}
