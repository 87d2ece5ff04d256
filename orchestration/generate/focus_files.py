"""FOCUS 1.2 billing exports: `focus/focus_YYYY-MM.csv`, one file per billing month.

Every FOCUS 1.2 column is present by name (alphabetical, as the official sample orders them);
nulls are real nulls (empty fields), timestamps `YYYY-MM-DDTHH:mm:ssZ`, costs plain decimals in
USD. Only days inside the period are billed, so the first and last months are partial.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.generate.engine import write_files

# FOCUS 1.2 columns (FOCUS_Spec v1.2), alphabetical.
FOCUS_COLUMNS = [
    "AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName",
    "BillingAccountType", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
    "CapacityReservationId", "CapacityReservationStatus", "ChargeCategory", "ChargeClass",
    "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
    "CommitmentDiscountCategory", "CommitmentDiscountId", "CommitmentDiscountName",
    "CommitmentDiscountQuantity", "CommitmentDiscountStatus", "CommitmentDiscountType",
    "CommitmentDiscountUnit", "ConsumedQuantity", "ConsumedUnit", "ContractedCost",
    "ContractedUnitPrice", "EffectiveCost", "InvoiceId", "InvoiceIssuerName", "ListCost",
    "ListUnitPrice", "PricingCategory", "PricingCurrency", "PricingCurrencyContractedUnitPrice",
    "PricingCurrencyEffectiveCost", "PricingCurrencyListUnitPrice", "PricingQuantity",
    "PricingUnit", "ProviderName", "PublisherName", "RegionId", "RegionName", "ResourceId",
    "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "ServiceSubcategory",
    "SkuId", "SkuMeter", "SkuPriceDetails", "SkuPriceId", "SubAccountId", "SubAccountName",
    "SubAccountType", "Tags",
]  # fmt: skip

# Column -> SQL over focus_lines `l` (everything else is null).
_VALUES = {
    "BilledCost": "dec_str(l.cost)",
    "BillingAccountId": "l.billing_account_id",
    "BillingAccountName": "l.billing_account_name",
    "BillingAccountType": "case l.provider when 'AWS' then 'Billing Account' "
    "else 'Billing Profile' end",
    "BillingCurrency": "'USD'",
    "BillingPeriodEnd": "iso(date_trunc('month', l.d) + interval 1 month)",
    "BillingPeriodStart": "iso(date_trunc('month', l.d))",
    "ChargeCategory": "'Usage'",
    "ChargeDescription": "l.charge_description",
    "ChargeFrequency": "'Usage-Based'",
    "ChargePeriodEnd": "iso(l.d + interval 1 day)",
    "ChargePeriodStart": "iso(l.d::timestamp)",
    "ConsumedQuantity": "dec_str(l.consumed_quantity)",
    "ConsumedUnit": "l.consumed_unit",
    "ContractedCost": "dec_str(l.cost)",
    "ContractedUnitPrice": "dec_str(l.list_unit_price)",
    "EffectiveCost": "dec_str(l.cost)",
    "InvoiceIssuerName": "case l.provider when 'AWS' then 'Amazon Web Services, Inc.' "
    "else 'Microsoft' end",
    "ListCost": "dec_str(l.cost)",
    "ListUnitPrice": "dec_str(l.list_unit_price)",
    "PricingCategory": "'Standard'",
    "PricingCurrency": "'USD'",
    "PricingCurrencyContractedUnitPrice": "dec_str(l.list_unit_price)",
    "PricingCurrencyEffectiveCost": "dec_str(l.cost)",
    "PricingCurrencyListUnitPrice": "dec_str(l.list_unit_price)",
    "PricingQuantity": "dec_str(l.pricing_quantity)",
    "PricingUnit": "l.pricing_unit",
    "ProviderName": "l.provider",
    "PublisherName": "l.publisher",
    "RegionId": "l.region_id",
    "RegionName": "l.region_name",
    "ResourceId": "l.resource_id",
    "ResourceName": "l.resource_name",
    "ResourceType": "l.resource_type",
    "ServiceCategory": "l.service_category",
    "ServiceName": "l.service_name",
    "ServiceSubcategory": "l.service_subcategory",
    "SkuId": "l.sku_id",
    "SkuMeter": "l.sku_meter",
    "SkuPriceId": "case l.provider when 'AWS' then l.sku_id || '.JRTCKXETXF.' "
    "|| upper(alnum('price:' || l.sku_id, 10)) else l.sku_id || '/0001' end",
    "SubAccountId": "l.sub_account_id",
    "SubAccountName": "l.sub_account_name",
    "SubAccountType": "case l.provider when 'AWS' then 'Account' else 'Subscription' end",
    "Tags": "l.tags",
}


def write_focus(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    line = " || ',' || ".join(
        f"csv_field({_VALUES.get(c, 'null::varchar')})" for c in FOCUS_COLUMNS
    )
    query = f"""
        select 'focus/focus_' || strftime(date_trunc('month', l.d), '%Y-%m') || '.csv',
               '{",".join(FOCUS_COLUMNS)}' || chr(10)
               || string_agg({line}, chr(10) order by l.d, l.provider, l.service_name,
                             l.resource_id, l.sku_id, l.tags) || chr(10)
        from focus_lines l
        group by date_trunc('month', l.d) order by 1
    """
    return write_files(con, query, out_dir)
