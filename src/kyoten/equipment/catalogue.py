"""Machine types for the demo and for realistic tests (names, makers, specs, fee levels).

Fee levels follow public fee schedules of Japanese universities and public research institutes
(see /work/shared/data/equipment_reference.md): `base` is the academic self-use fee per hour;
the other classes and modes derive from it in `fees_from_base`.
"""

from __future__ import annotations

from dataclasses import dataclass

from kyoten.equipment.enums import MODES_FOR_ACCESS, Access, Category, Mode, UserClass


@dataclass(frozen=True)
class MachineType:
    name: str
    name_en: str
    category: str
    makers: tuple[tuple[str, str], ...]
    specs: str
    base: int
    access: str = Access.TRAINED
    approval: bool = False
    hours: str = "day"  # day: Mon–Fri 9:00–17:30, long: every day 8:00–22:00, always: 24 h
    # Optional fee parts of the machine (Equipment.per_day_yen, per_sample_yen, …).
    parts: tuple[tuple[str, int], ...] = ()


TYPES: tuple[MachineType, ...] = (
    MachineType("X線回折装置", "X-ray diffractometer (XRD)", Category.ANALYSIS,
                (("リガク", "SmartLab"), ("ブルカー", "D8 ADVANCE"), ("PANalytical", "Empyrean")),
                "Cu線源 最大出力9 kW、薄膜・粉末測定、高温ステージ", 1000, hours="long"),
    MachineType("走査電子顕微鏡 (SEM)", "Scanning electron microscope (SEM)", Category.MICROSCOPY,
                (("日立ハイテク", "SU3800"), ("日本電子", "JSM-IT700HR")),
                "分解能3 nm、EDX付属、低真空観察", 1000, hours="long"),
    MachineType("電界放出形走査電子顕微鏡 (FE-SEM)", "Field-emission SEM with EDX/EBSD",
                Category.MICROSCOPY, (("日本電子", "JSM-7800F"), ("日立ハイテク", "SU8230")),
                "分解能0.8 nm、EDX・EBSD付属", 1500),
    MachineType("透過電子顕微鏡 (TEM)", "Transmission electron microscope (TEM)",
                Category.MICROSCOPY, (("日本電子", "JEM-2100F"), ("日立ハイテク", "HF5000")),
                "加速電圧200 kV、STEM・EDX", 1500, access=Access.ASSISTED, approval=True),
    MachineType("集束イオンビーム加工観察装置 (FIB)", "Focused ion beam (FIB-SEM)",
                Category.MICROSCOPY, (("日立ハイテク", "NX5000"), ("Thermo Fisher", "Helios 5")),
                "Ga イオン、TEM試料作製", 2000, access=Access.ASSISTED),
    MachineType("原子間力顕微鏡 (AFM)", "Atomic force microscope (AFM)", Category.MICROSCOPY,
                (("ブルカー", "Dimension Icon"), ("島津製作所", "SPM-9700HT")),
                "走査範囲90 µm、位相・電流測定", 800),
    MachineType("共焦点レーザー顕微鏡", "Confocal laser scanning microscope",
                Category.MICROSCOPY, (("オリンパス", "FV3000"), ("キーエンス", "VK-X3000")),
                "形状・粗さ測定", 600),
    MachineType("核磁気共鳴装置 NMR 400MHz", "NMR spectrometer 400 MHz", Category.SPECTROSCOPY,
                (("日本電子", "JNM-ECZ400S"), ("ブルカー", "AVANCE NEO 400")),
                "1H/13C/多核、オートサンプラー", 800, hours="always"),
    MachineType("核磁気共鳴装置 NMR 600MHz", "NMR spectrometer 600 MHz", Category.SPECTROSCOPY,
                (("ブルカー", "AVANCE NEO 600"),), "クライオプローブ、固体測定", 2000,
                access=Access.ASSISTED, approval=True),
    MachineType("フーリエ変換赤外分光光度計 (FT-IR)", "FT-IR spectrometer",
                Category.SPECTROSCOPY, (("日本分光", "FT/IR-4X"), ("島津製作所", "IRTracer-100")),
                "ATR・顕微IR・マッピング", 500),
    MachineType("顕微ラマン分光装置", "Raman microscope", Category.SPECTROSCOPY,
                (("堀場製作所", "LabRAM HR Evolution"), ("ナノフォトン", "RAMANtouch")),
                "励起波長532/785 nm", 800),
    MachineType("紫外可視近赤外分光光度計", "UV-Vis-NIR spectrophotometer",
                Category.SPECTROSCOPY, (("島津製作所", "UV-3600i Plus"), ("日本分光", "V-770")),
                "積分球付属", 400),
    MachineType("X線光電子分光装置 (XPS)", "X-ray photoelectron spectrometer (XPS)",
                Category.ANALYSIS, (("アルバック・ファイ", "PHI Quantes"), ("Thermo Fisher", "K-Alpha")),
                "単色化Al Kα、深さ方向分析", 2500, access=Access.ASSISTED, approval=True,
                parts=(("private_pct", 200),)),
    MachineType("蛍光X線分析装置 (XRF)", "X-ray fluorescence spectrometer (XRF)",
                Category.ANALYSIS, (("リガク", "ZSX Primus IV"), ("島津製作所", "EDX-8100")),
                "B〜U の元素分析", 700, parts=(("per_sample_yen", 6440),)),
    MachineType("電子線マイクロアナライザ (EPMA)", "Electron probe microanalyser (EPMA)",
                Category.ANALYSIS, (("日本電子", "JXA-iHP200F"), ("島津製作所", "EPMA-8050G")),
                "WDS 5チャンネル、元素マッピング", 1500, access=Access.ASSISTED),
    MachineType("CHN元素分析装置", "CHN elemental analyser", Category.ANALYSIS,
                (("ジェイ・サイエンス", "JM11"), ("エレメンタール", "vario EL cube")),
                "炭素・水素・窒素の定量", 500, access=Access.STAFF_ONLY),
    MachineType("ガスクロマトグラフ質量分析計 (GC-MS)", "GC-MS", Category.MASS_SPECTROMETRY,
                (("島津製作所", "GCMS-QP2020 NX"), ("日本電子", "JMS-Q1600GC")),
                "熱分解装置付属", 800),
    MachineType("液体クロマトグラフ質量分析計 (LC-MS)", "LC-MS/MS", Category.MASS_SPECTROMETRY,
                (("島津製作所", "LCMS-8060NX"), ("Waters", "Xevo TQ-XS")),
                "トリプル四重極", 1200, access=Access.ASSISTED),
    MachineType("MALDI-TOF質量分析計", "MALDI-TOF mass spectrometer",
                Category.MASS_SPECTROMETRY, (("ブルカー", "autoflex maX"), ("島津製作所", "MALDI-8020")),
                "高分子・タンパク質の分子量測定", 1000),
    MachineType("高速液体クロマトグラフ (HPLC)", "HPLC", Category.MASS_SPECTROMETRY,
                (("島津製作所", "Nexera XR"), ("日立ハイテク", "Chromaster")),
                "UV・RI・蛍光検出器", 300),
    MachineType("示差走査熱量計 (DSC)", "Differential scanning calorimeter (DSC)",
                Category.THERMAL, (("日立ハイテク", "DSC7000X"), ("NETZSCH", "DSC 214 Polyma")),
                "-150〜600 ℃", 400),
    MachineType("熱重量示差熱分析装置 (TG-DTA)", "TG-DTA", Category.THERMAL,
                (("リガク", "Thermo plus EVO2"), ("日立ハイテク", "STA7200")),
                "室温〜1500 ℃、発生ガス分析", 400),
    MachineType("次世代シーケンサー", "Next-generation sequencer", Category.BIO,
                (("イルミナ", "MiSeq"), ("イルミナ", "NextSeq 2000")),
                "受託解析・技術補助", 3000, access=Access.STAFF_ONLY, approval=True),
    MachineType("リアルタイムPCR装置", "Real-time PCR system", Category.BIO,
                (("Thermo Fisher", "QuantStudio 5"), ("タカラバイオ", "Thermal Cycler Dice")),
                "96ウェル", 300),
    MachineType("スパッタリング装置", "Sputter deposition system", Category.PROCESSING,
                (("アルバック", "ACS-4000"), ("芝浦メカトロニクス", "CFS-4EP-LL")),
                "RF/DC、3元同時", 1500),
    MachineType("真空蒸着装置", "Vacuum evaporator", Category.PROCESSING,
                (("アルバック", "EX-400"), ("サンユー電子", "SVC-700")), "抵抗加熱・EB", 800),
    MachineType("プラズマCVD装置", "Plasma CVD", Category.PROCESSING,
                (("サムコ", "PD-220NL"),), "SiO2/SiN 成膜", 2000, access=Access.ASSISTED),
    MachineType("マスクレス露光装置", "Maskless lithography system", Category.PROCESSING,
                (("ナノシステムソリューションズ", "DL-1000"), ("Heidelberg", "MLA150")),
                "最小線幅1 µm、クリーンルーム内", 1500, approval=True),
    MachineType("ドライエッチング装置 (RIE)", "Reactive ion etcher (RIE)", Category.PROCESSING,
                (("サムコ", "RIE-10NR"), ("アルバック", "NE-550")), "フッ素系・塩素系", 1500),
    MachineType("3Dプリンタ (樹脂)", "3D printer (resin)", Category.FABRICATION,
                (("ストラタシス", "J55 Prime"), ("Formlabs", "Form 3+")),
                "造形サイズ 250×250×200 mm", 500, hours="long"),
    MachineType("金属3Dプリンタ", "Metal 3D printer", Category.FABRICATION,
                (("EOS", "M 290"), ("松浦機械製作所", "LUMEX Avance-25")),
                "レーザー粉末床溶融結合", 5000, access=Access.ASSISTED, approval=True),
    MachineType("レーザー加工機", "Laser processing machine", Category.FABRICATION,
                (("トルンプ", "TruLaser 1030"), ("アマダ", "ENSIS-3015AJ")), "ファイバーレーザー 3 kW",
                2000, access=Access.ASSISTED),
    MachineType("マシニングセンタ", "Machining centre", Category.FABRICATION,
                (("ヤマザキマザック", "VARIAXIS i-600"), ("DMG森精機", "DMU 50")), "5軸加工", 1500),
    MachineType("精密万能試験機", "Universal testing machine", Category.TESTING,
                (("島津製作所", "AGX-V 100kN"), ("インストロン", "5985")),
                "材料の引張・圧縮・曲げ試験、最大荷重100 kN、恒温槽付属", 600),
    MachineType("恒温恒湿槽", "Environmental chamber", Category.TESTING,
                (("エスペック", "PL-3J"), ("ヤマト科学", "IW223")), "-40〜150 ℃、20〜98 %RH",
                200, hours="always", parts=(("per_day_yen", 1500),)),
    MachineType("EMC試験設備 (電波暗室)", "EMC test site (anechoic chamber)", Category.TESTING,
                (("TDK", "3 m 法電波暗室"),), "放射エミッション・イミュニティ", 8000,
                access=Access.ASSISTED, approval=True,
                parts=(("per_day_yen", 50000), ("base_fee_yen", 20000))),
    MachineType("三次元測定機", "Coordinate measuring machine", Category.TESTING,
                (("ミツトヨ", "CRYSTA-Apex V"), ("東京精密", "XYZAX SVA NEX")), "測定範囲 700 mm", 800),
    MachineType("X線CT装置", "X-ray CT scanner", Category.IMAGING,
                (("島津製作所", "inspeXio SMX-225CT"), ("ニコン", "XT H 225")),
                "最大管電圧225 kV、非破壊内部観察", 2000, access=Access.ASSISTED),
    MachineType("サーモグラフィカメラ", "Thermography camera", Category.IMAGING,
                (("日本アビオニクス", "InfReC R550"),), "640×480画素", 300),
    MachineType("計算サーバ (GPU)", "GPU compute server", Category.COMPUTING,
                (("NVIDIA", "DGX A100"), ("HPE", "Apollo 6500")),
                "GPU 8基、材料シミュレーション", 500, hours="always"),
)  # fmt: skip

HOURS = {
    "day": {"open_weekdays": "12345", "opens_minute": 540, "closes_minute": 1050},
    "long": {"open_weekdays": "1234567", "opens_minute": 480, "closes_minute": 1320},
    "always": {"open_weekdays": "1234567", "opens_minute": 0, "closes_minute": 1440},
}


def _round100(yen: float) -> int:
    return int(round(yen / 100.0)) * 100


def fees_from_base(base: int, access: str) -> dict[tuple[str, str], int]:
    """Per-hour fees for every class and offered mode from the academic self-use fee.

    SMEs pay ×1.5, large companies ×3, in-house users ×0.5; commissioned measurement costs ×3
    of the machine fee (staff time is billed on top, per the hub's staff surcharge).
    """
    class_factor = {
        UserClass.ACADEMIC: 1.0,
        UserClass.SME: 1.5,
        UserClass.LARGE_COMPANY: 3.0,
        UserClass.IN_HOUSE: 0.5,
    }
    mode_factor = {Mode.SELF_USE: 1.0, Mode.ASSISTED: 1.0, Mode.COMMISSIONED: 3.0}
    return {
        (cls, mode): _round100(base * cf * mode_factor[mode])
        for cls, cf in class_factor.items()
        for mode in MODES_FOR_ACCESS[access]
    }
